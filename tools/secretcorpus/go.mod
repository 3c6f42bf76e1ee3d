module github.com/shipshape-dev/shipshape/tools/secretcorpus

go 1.25.0

require github.com/shipshape-dev/shipshape v0.1.0
