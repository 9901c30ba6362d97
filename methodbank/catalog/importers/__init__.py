"""Importing a method report (text extracted from a PDF) into the catalog.

``parser`` turns the text into plain dataclasses with line numbers and never touches the database;
``matching`` links the many spellings of a project name to one project; ``loader`` writes a parsed
report into the catalog models in one transaction.
"""
