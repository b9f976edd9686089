//! The labelled corpus (`corpus.tsv`): recall and false positives per category.
