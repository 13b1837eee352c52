"""The player: plays a lesson step by step (play.py) and shows it (scenario, views, timeline, explain)."""
