"""Core: what every other layer stands on, and which imports nothing else of the package.

The vocabulary (publishers, units, statistics, geography levels named once, as data), every project path from one
root, errors that name their file, row, column or parameter, the parsing of money strings, content digests, bounded
and strict file, YAML, JSON and CSV reading and writing, worker processes and temporary folders, start-up tweaks.
Modules here import only the standard library, third-party libraries and each other.
"""
