module github.com/boombuler/barcode
