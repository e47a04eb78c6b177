"""make stress, in parts (the command is tools/commands/stress.py):

counter.py     where the counter lives (SQLite files, a scratch PostgreSQL database)
patterns.py    the read-modify-write patterns, each an increment()
workers.py     worker processes and threads that call it
dead_peer.py   how long an advisory lock outlives a holder whose packets vanish (root)
run.py         one run: every pattern on both backends, the figures
render.py      the table on the page, the chart and stress.json
"""
