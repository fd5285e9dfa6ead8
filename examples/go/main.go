// Prints age, gender and emotion of every face in the photos given.
//
//	cd examples/go
//	PKG_CONFIG_PATH=../../build/meson-uninstalled \
//	LD_LIBRARY_PATH=../../build/lib DAGER_MODELS_DIR=../../build/models \
//	go run . ../../third_party/face-api/samples/sample1.jpg
package main

import (
	"fmt"
	"os"

	"dager"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: example PHOTO...")
		os.Exit(2)
	}
	engine, err := dager.NewEngine()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer engine.Close()
	session, err := engine.NewSession()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer session.Close()

	status := 0
	for _, path := range os.Args[1:] {
		result, err := session.AnalyzeFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			status = 1
			continue
		}
		for number, face := range result.Faces {
			fmt.Printf("%s face %d: age %.0f, %s (%.0f%%), %s\n", path,
				number+1, face.Age, face.Gender,
				face.GenderProbability*100, face.Emotion)
		}
	}
	if status != 0 {
		// os.Exit skips deferred calls; close first.
		session.Close()
		engine.Close()
		os.Exit(status)
	}
}
