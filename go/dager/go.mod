module dager

go 1.19
