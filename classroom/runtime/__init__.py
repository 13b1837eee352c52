"""The runtime: a lesson's session, the processes and services it starts, its bounded waits and events."""
