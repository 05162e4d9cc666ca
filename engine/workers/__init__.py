"""Workers: many loop processes, on one or many machines, growing one registry together.

A worker registers itself and beats a heartbeat (heartbeat.py), records which runs it made
(runs.py), claims work that must not run twice (claims.py), and stops between runs on
Ctrl+C or SIGTERM (stop.py).
"""
