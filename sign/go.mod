module github.com/shipshape-dev/shipshape/sign

go 1.25.0

replace github.com/shipshape-dev/shipshape => ../
