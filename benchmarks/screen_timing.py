"""How long a screen takes to draw and how many SQL queries it makes (shared by the list benchmarks)."""
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def measure(render, screen, runs=15):
    """(SQL queries, median ms, worst ms, html) of drawing `screen` with `render`, after one warm-up."""
    render(screen)  # warm caches and templates
    with CaptureQueriesContext(connection) as queries:
        html = render(screen)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        render(screen)
        times.append((time.perf_counter() - t0) * 1000)
    return len(queries), statistics.median(times), max(times), html
