#!/usr/bin/env python3
"""Replaces the text between <!-- NAME:begin --> and <!-- NAME:end --> in a Markdown file (appending the
markers if absent) with the content of another file, atomically.

Usage: replace-section.py RESULTS.md NAME CONTENT_FILE
"""
import pathlib
import sys

results, name, content = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3]).read_text()
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
text = results.read_text() if results.exists() else "# Benchmark results\n"
if begin not in text:
    text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
tmp = results.with_suffix(".tmp")
tmp.write_text(head + begin + "\n" + content + end + tail)
tmp.replace(results)
