package dager

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// syntheticPNG encodes a width x height picture whose pixel (x, y) is
// (x*7, y*11, x+y) modulo 256, so every pixel can be checked.
func syntheticPNG(t *testing.T, width, height int) []byte {
	t.Helper()
	picture := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			picture.Set(x, y, color.NRGBA{uint8(x * 7), uint8(y * 11),
				uint8(x + y), 255})
		}
	}
	var encoded bytes.Buffer
	if err := png.Encode(&encoded, picture); err != nil {
		t.Fatal(err)
	}
	return encoded.Bytes()
}

func wantStatus(t *testing.T, err error, status Status) *Error {
	t.Helper()
	var failure *Error
	if !errors.As(err, &failure) {
		t.Fatalf("want a *dager.Error with status %d, got %v", status, err)
	}
	if failure.Status != status {
		t.Fatalf("want status %d, got %d (%s)", status, failure.Status,
			failure.Message)
	}
	if failure.Message == "" {
		t.Fatalf("status %d came without a message", status)
	}
	return failure
}

func TestVersion(t *testing.T) {
	parts := strings.Split(Version(), ".")
	if len(parts) != 3 {
		t.Fatalf("version %q is not MAJOR.MINOR.PATCH", Version())
	}
	if Emotions[3] != "happy" || Emotions[6] != "surprised" {
		t.Fatalf("emotion names %v", Emotions)
	}
}

func TestDecodesSyntheticPNG(t *testing.T) {
	encoded := syntheticPNG(t, 37, 23)
	picture, err := LoadMemory(encoded, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer picture.Close()
	if picture.Width() != 37 || picture.Height() != 23 ||
		picture.Orientation() != 1 {
		t.Fatalf("got %d x %d, orientation %d", picture.Width(),
			picture.Height(), picture.Orientation())
	}
	pixels := picture.Pixels()
	for y := 0; y < 23; y++ {
		for x := 0; x < 37; x++ {
			at := (y*37 + x) * 3
			want := []byte{uint8(x * 7), uint8(y * 11), uint8(x + y)}
			if !bytes.Equal(pixels[at:at+3], want) {
				t.Fatalf("pixel %d,%d is %v, want %v", x, y, pixels[at:at+3],
					want)
			}
		}
	}

	// The same bytes through a file.
	path := filepath.Join(t.TempDir(), "synthetic.png")
	if err := os.WriteFile(path, encoded, 0o644); err != nil {
		t.Fatal(err)
	}
	fromFile, err := LoadFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fromFile.Close()
	if !bytes.Equal(fromFile.Pixels(), pixels) {
		t.Fatal("file and memory decoding differ")
	}
}

func TestLoadErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.jpg")
	_, err := LoadFile(missing, 0)
	wantStatus(t, err, IO)

	_, err = LoadMemory(nil, 0)
	wantStatus(t, err, UnsupportedFormat)
	_, err = LoadMemory([]byte("GIF89a not a photo"), 0)
	wantStatus(t, err, UnsupportedFormat)

	encoded := syntheticPNG(t, 64, 64)
	_, err = LoadMemory(encoded[:len(encoded)/2], 0)
	wantStatus(t, err, CorruptImage)

	_, err = LoadMemory(encoded, 100)
	wantStatus(t, err, ImageTooLarge)

	if !errors.Is(err, &Error{Status: ImageTooLarge}) {
		t.Fatal("errors.Is does not match by status")
	}
	if !strings.HasSuffix(err.Error(), "(image_too_large)") ||
		Internal.Name() != "internal" || Status(99).Name() != "unknown" {
		t.Fatalf("status names: %q", err.Error())
	}
}

// Failing calls on many goroutines at once, two kinds alternating: each
// error must carry the message of its own call (the binding reads it in
// the same C call as the failure), never the other kind's.
func TestErrorMessagesStayWithTheirCall(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.jpg")
	garbage := []byte("GIF89a not a photo")
	_, err := LoadFile(missing, 0)
	missingMessage := wantStatus(t, err, IO).Message
	_, err = LoadMemory(garbage, 0)
	garbageMessage := wantStatus(t, err, UnsupportedFormat).Message
	if missingMessage == garbageMessage {
		t.Fatal("the two failures have the same message")
	}

	var group sync.WaitGroup
	failures := make(chan string, 16)
	for worker := 0; worker < 8; worker++ {
		group.Add(1)
		go func(worker int) {
			defer group.Done()
			for round := 0; round < 200; round++ {
				want := missingMessage
				var err error
				if (worker+round)%2 == 0 {
					_, err = LoadFile(missing, 0)
				} else {
					want = garbageMessage
					_, err = LoadMemory(garbage, 0)
				}
				var failure *Error
				if !errors.As(err, &failure) || failure.Message != want {
					failures <- fmt.Sprintf("worker %d round %d: %v", worker,
						round, err)
					return
				}
			}
		}(worker)
	}
	group.Wait()
	close(failures)
	for failure := range failures {
		t.Error(failure)
	}
}

func TestFromPixels(t *testing.T) {
	gray := []byte{0, 10, 20, 99, 30, 40, 50, 99}
	picture, err := FromPixels(gray, 3, 2, 4, Gray8)
	if err != nil {
		t.Fatal(err)
	}
	defer picture.Close()
	want := []byte{0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40,
		50, 50, 50}
	if !bytes.Equal(picture.Pixels(), want) {
		t.Fatalf("got %v", picture.Pixels())
	}
	bgra := []byte{1, 2, 3, 255}
	swapped, err := FromPixels(bgra, 1, 1, 4, BGRA8)
	if err != nil {
		t.Fatal(err)
	}
	defer swapped.Close()
	if !bytes.Equal(swapped.Pixels(), []byte{3, 2, 1}) {
		t.Fatalf("BGRA gave %v", swapped.Pixels())
	}

	_, err = FromPixels(gray, 3, 3, 4, Gray8)
	wantStatus(t, err, InvalidArgument)
	_, err = FromPixels(gray, 3, 2, 2, Gray8)
	wantStatus(t, err, InvalidArgument)
}

func TestBadOptions(t *testing.T) {
	_, err := NewEngine(WithMinScore(1.5))
	wantStatus(t, err, UnknownOption)
	_, err = NewEngine(WithString("no_such_option", "x"))
	wantStatus(t, err, UnknownOption)
	_, err = NewEngine(WithDetector("yolo"))
	wantStatus(t, err, UnknownOption)
	_, err = NewEngine(WithModelsDir(filepath.Join(t.TempDir(), "none")))
	if err == nil {
		t.Fatal("an engine without model files was created")
	}
}

func TestCloseTwiceAndUseAfterClose(t *testing.T) {
	picture, err := LoadMemory(syntheticPNG(t, 4, 4), 0)
	if err != nil {
		t.Fatal(err)
	}
	picture.Close()
	picture.Close()
	if picture.Pixels() != nil {
		t.Fatal("pixels of a closed image")
	}
}

func TestDescriptorArithmetic(t *testing.T) {
	a := make([]float32, 128)
	b := make([]float32, 128)
	a[0], b[1] = 3, 4
	if distance := DescriptorDistance(a, b); math.Abs(float64(distance)-5) >
		1e-5 {
		t.Fatalf("distance %v, want 5", distance)
	}
	if similarity := DescriptorSimilarity(a, a); math.Abs(
		float64(similarity)-1) > 1e-5 {
		t.Fatalf("similarity %v, want 1", similarity)
	}
	if DescriptorDistance(a[:3], b) >= 0 {
		t.Fatal("a short descriptor was accepted")
	}
}

// modelsAndSample returns the models folder and a sample photo, or skips
// the test when either is absent (they are fetched by tools/setup.sh).
func modelsAndSample(t *testing.T) (string, string) {
	models := os.Getenv("DAGER_MODELS_DIR")
	if models == "" {
		t.Skip("SKIP: DAGER_MODELS_DIR is not set")
	}
	if _, err := os.Stat(filepath.Join(models,
		"ssd_mobilenetv1.dager")); err != nil {
		t.Skipf("SKIP: no converted models in %s", models)
	}
	sample := filepath.Join(os.Getenv("DAGER_SOURCE_ROOT"), "third_party",
		"face-api", "samples", "sample1.jpg")
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("SKIP: no sample photo at %s", sample)
	}
	return models, sample
}

type programFace struct {
	Box struct {
		X, Y, Width, Height float32
	}
	Score    float32
	Age      float32
	Gender   string
	Emotion  string
	Emotions map[string]float32
}

type programLine struct {
	Path   string
	Status string
	Width  int
	Height int
	Faces  []programFace
}

func TestAnalyzeSampleMatchesProgram(t *testing.T) {
	models, sample := modelsAndSample(t)
	engine, err := NewEngine(WithModelsDir(models))
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Close()
	session, err := engine.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer session.Close()

	result, err := session.AnalyzeFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(result.Faces) == 0 {
		t.Fatal("no face found in the sample photo")
	}
	for _, face := range result.Faces {
		if len(face.Landmarks) != 68 || !face.HasAttributes ||
			len(face.Descriptor) != 128 {
			t.Fatalf("incomplete face %+v", face)
		}
	}

	picture, err := LoadFile(sample, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer picture.Close()
	crops, err := session.AlignedFaces(picture, 112)
	if err != nil {
		t.Fatal(err)
	}
	if len(crops) != len(result.Faces) || len(crops[0].Pixels) != 112*112*3 {
		t.Fatalf("%d crops for %d faces", len(crops), len(result.Faces))
	}

	program := os.Getenv("DAGER_PROGRAM")
	if program == "" {
		t.Skip("SKIP: DAGER_PROGRAM is not set; not compared with dager")
	}
	output, err := exec.Command(program, "--models", models, sample).Output()
	if err != nil {
		t.Fatalf("%s: %v", program, err)
	}
	var line programLine
	if err := json.Unmarshal(output, &line); err != nil {
		t.Fatalf("program output %q: %v", output, err)
	}
	if line.Status != "ok" || line.Width != result.Width ||
		len(line.Faces) != len(result.Faces) {
		t.Fatalf("program says %+v, binding %d faces of %d x %d", line,
			len(result.Faces), result.Width, result.Height)
	}
	// The same library on the same bytes: identical numbers, since the
	// JSON writer prints floats exactly.
	for index, face := range result.Faces {
		other := line.Faces[index]
		if other.Box.X != face.Box.X || other.Box.Width != face.Box.Width ||
			other.Score != face.Score || other.Age != face.Age ||
			other.Gender != face.Gender || other.Emotion != face.Emotion ||
			other.Emotions["happy"] != face.EmotionScores[3] {
			t.Fatalf("face %d differs: program %+v, binding %+v", index,
				other, face)
		}
	}
}

func TestEngineCloseClosesSessions(t *testing.T) {
	models, sample := modelsAndSample(t)
	engine, err := NewEngine(WithModelsDir(models), WithDetector("tiny"))
	if err != nil {
		t.Fatal(err)
	}
	session, err := engine.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if engine.ISA() == "" {
		t.Fatal("no instruction set named")
	}
	engine.Close()
	// The session went with its engine: using it is an error, closing it
	// again is harmless, and so is closing the engine again.
	if _, err := session.AnalyzeFile(sample); err == nil {
		t.Fatal("a session of a closed engine analysed an image")
	}
	session.Close()
	engine.Close()
	if _, err := engine.NewSession(); err == nil {
		t.Fatal("a closed engine made a session")
	}
}

// waitForFinalizers collects garbage until the finalizers have freed at
// least the wanted number of objects of each kind, or gives up after about
// ten seconds. Go does not promise to finalize every object (one can stay
// reachable from a stale stack slot, seen here under load), so tests
// forget more objects than they wait for.
func waitForFinalizers(t *testing.T, want map[string]int) {
	t.Helper()
	var mutex sync.Mutex
	seen := map[string]int{}
	finalized = func(kind string) {
		mutex.Lock()
		seen[kind]++
		mutex.Unlock()
	}
	defer func() { finalized = func(string) {} }()
	for attempt := 0; attempt < 200; attempt++ {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		mutex.Lock()
		done := true
		for kind, count := range want {
			if seen[kind] < count {
				done = false
			}
		}
		mutex.Unlock()
		if done {
			return
		}
	}
	mutex.Lock()
	defer mutex.Unlock()
	t.Fatalf("finalizers freed %v, want %v", seen, want)
}

func forgetImages(t *testing.T, encoded []byte, count int) {
	for index := 0; index < count; index++ {
		if _, err := LoadMemory(encoded, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestForgottenImagesAreFreed(t *testing.T) {
	encoded := syntheticPNG(t, 16, 16)
	forgetImages(t, encoded, 20)
	waitForFinalizers(t, map[string]int{"image": 16})
}

func forgetEngineAndSession(t *testing.T, models string) {
	engine, err := NewEngine(WithModelsDir(models), WithDetector("tiny"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.NewSession(); err != nil {
		t.Fatal(err)
	}
}

// Engines and their sessions, forgotten, are freed: a session's link to
// its engine makes no cycle that would stop the finalizers (with one, none
// would ever run).
func TestForgottenEngineAndSessionAreFreed(t *testing.T) {
	models, _ := modelsAndSample(t)
	for pair := 0; pair < 3; pair++ {
		forgetEngineAndSession(t, models)
	}
	waitForFinalizers(t, map[string]int{"engine": 2, "session": 2})
}
