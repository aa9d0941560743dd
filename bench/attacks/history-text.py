#!/usr/bin/env python3
"""Prints a workflow history (temporal workflow show -o json, on stdin) with every payload's data
decoded from base64, so that a search for a value finds it wherever it was recorded."""
import base64
import json
import sys


def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" and isinstance(value, str):
                try:
                    print(base64.b64decode(value).decode("utf-8", "replace"))
                except ValueError:
                    print(value)
            else:
                walk(value)
    elif isinstance(node, list):
        for item in node:
            walk(item)
    else:
        print(node)


text = sys.stdin.read()
try:
    walk(json.loads(text))
except ValueError:
    print(text)
