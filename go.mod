module github.com/yieldfrom/asyncgo

go 1.25
