"""Presentation: everything a reader sees. Themes and Finnish formatting, one module per chart
kind, maps, the figure plan, tables and workbooks, report specs, PDF and decks, and the words
of all of them (texts/). Takes protected tables, gives figures and files. Imports every stage
below; nothing imports it but pipeline and cli.

Import the module you need (`kartoitus.present.figures`, …): this package imports nothing
itself, so that a compute-only user never loads matplotlib, Typst or python-pptx.
"""
