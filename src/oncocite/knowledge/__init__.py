"""The treatment-options explorer: a knowledge base of breast-cancer targeted and
immunotherapy drugs, written in our own words with a citation for every fact, and
the matcher that says which options the sources describe for a tumour profile."""
