"""The retention process: records past their retention period, approved, then erased."""
