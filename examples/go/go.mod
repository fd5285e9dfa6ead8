module dager-example

go 1.19

require dager v0.0.0

replace dager => ../../go/dager
