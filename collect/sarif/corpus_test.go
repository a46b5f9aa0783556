package sarif

const corpusDir = "../../../shared/corpus/sarif"
