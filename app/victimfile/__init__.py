"""The printable file of one victim ("Imprimir ficha"): a print-ready page and a PDF."""
