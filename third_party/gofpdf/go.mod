module github.com/phpdave11/gofpdf

go 1.19
