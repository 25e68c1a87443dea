"""Documents people sign, print and file: built from the core's records, rendered as a print view and a PDF.

`content` builds a document's data (and its canonical hash); `render` turns it into the print view's HTML
and the PDF from the same template; `services` checks who may read and sign, and issues verification codes.
"""
