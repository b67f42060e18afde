"""The multi-agency audit cycle (seeds 003 and 004), and the yearly plan that starts one."""
