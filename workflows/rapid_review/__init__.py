"""The rapid review of a serious incident, its LCSPR decision and recommendations."""
