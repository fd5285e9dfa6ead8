// Package dager finds faces in photos and estimates age, gender and
// emotion, through libdager's C API.
//
//	engine, err := dager.NewEngine()
//	if err != nil { ... }
//	defer engine.Close()
//	session, err := engine.NewSession()
//	if err != nil { ... }
//	defer session.Close()
//	result, err := session.AnalyzeFile("photo.jpg")
//	for _, face := range result.Faces {
//		fmt.Println(face.Age, face.Gender, face.Emotion)
//	}
//
// Errors are *Error values carrying the library's status and message.
// Engines, sessions and images hold native memory: Close them when done.
// A finalizer frees what was forgotten, but only as a safety net, since
// the Go collector does not see the native memory's size.
//
// The package is built with `#cgo pkg-config: dager`: for an installed
// library nothing is needed; for a build tree, point PKG_CONFIG_PATH at
// <build>/meson-uninstalled and LD_LIBRARY_PATH at <build>/lib.
package dager

// #cgo pkg-config: dager
// #include "native.h"
import "C"

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Status is a libdager status code; the values are fixed by dager.h.
type Status int

// The status codes of dager.h.
const (
	OK                Status = 0
	InvalidArgument   Status = 1
	OutOfMemory       Status = 2
	IO                Status = 3
	UnsupportedFormat Status = 4
	CorruptImage      Status = 5
	ImageTooLarge     Status = 6
	ModelInvalid      Status = 7
	ModelVersion      Status = 8
	ModelWrongTask    Status = 9
	UnknownOption     Status = 10
	OutOfRange        Status = 11
	NotLoaded         Status = 12
	Internal          Status = 13
)

// String is the library's sentence for the status.
func (status Status) String() string {
	return C.GoString(C.dager_status_string(C.dager_status(status)))
}

var statusNames = [...]string{"ok", "invalid_argument", "out_of_memory",
	"io", "unsupported_format", "corrupt_image", "image_too_large",
	"model_invalid", "model_version", "model_wrong_task", "unknown_option",
	"out_of_range", "not_loaded", "internal"}

// Name is the status's short name, the one the dager program prints in
// its "status" field ("io", "corrupt_image", ...), or "unknown".
func (status Status) Name() string {
	if status >= 0 && int(status) < len(statusNames) {
		return statusNames[status]
	}
	return "unknown"
}

// Error is a failed libdager call.
type Error struct {
	Status  Status
	Message string
}

func (failure *Error) Error() string {
	return fmt.Sprintf("dager: %s (%s)", failure.Message,
		failure.Status.Name())
}

// Is makes errors.Is(err, &dager.Error{Status: dager.IO}) match by status.
func (failure *Error) Is(target error) bool {
	other, ok := target.(*Error)
	return ok && other.Status == failure.Status
}

// Version is the linked library's version, "MAJOR.MINOR.PATCH".
func Version() string {
	return C.GoString(C.dager_version_string())
}

// Emotions lists the emotion names in the library's order, the order of
// Face.Emotions.
var Emotions = func() [7]string {
	var names [7]string
	for index := range names {
		names[index] = C.GoString(C.dager_emotion_name(C.dager_emotion(index)))
	}
	return names
}()

// Box is a face's box in pixels of the displayed image.
type Box struct {
	X, Y, Width, Height float32
}

// Face is one face found in an image.
type Face struct {
	Box   Box
	Score float32
	// CutByBorder is set when the face reaches past an image edge; its
	// attributes are then less reliable.
	CutByBorder bool
	// Landmarks holds the 68 points (x, y), or nil when not computed.
	Landmarks [][2]float32
	// HasAttributes tells whether Age, Gender and the emotions are set.
	HasAttributes     bool
	Age               float32
	Gender            string // "female", "male" or "unknown"
	GenderProbability float32
	Emotion           string     // the most probable of Emotions
	EmotionScores     [7]float32 // probabilities in the order of Emotions
	// Descriptor holds 128 values, or nil when not computed.
	Descriptor []float32
}

// Result is what one analysis found, strongest face first.
type Result struct {
	Width, Height int
	// Truncated is set when more faces passed the threshold than the
	// max_faces option allows.
	Truncated bool
	Faces     []Face
}

// Option sets one engine option; see the options in dager.h.
type Option struct {
	apply func(options *C.dager_options, message *messageBuffer) error
}

// WithString sets a text option by its dager.h name.
func WithString(name, value string) Option {
	return Option{func(options *C.dager_options, message *messageBuffer) error {
		cName, cValue := cString(name), cString(value)
		defer freeString(cName)
		defer freeString(cValue)
		return check(C.go_options_set_string(options, cName, cValue,
			message.pointer()), message)
	}}
}

// WithInt sets a whole-number option by its dager.h name.
func WithInt(name string, value int64) Option {
	return Option{func(options *C.dager_options, message *messageBuffer) error {
		cName := cString(name)
		defer freeString(cName)
		return check(C.go_options_set_int(options, cName, C.int64_t(value),
			message.pointer()), message)
	}}
}

// WithFloat sets a real-number option by its dager.h name.
func WithFloat(name string, value float64) Option {
	return Option{func(options *C.dager_options, message *messageBuffer) error {
		cName := cString(name)
		defer freeString(cName)
		return check(C.go_options_set_double(options, cName, C.double(value),
			message.pointer()), message)
	}}
}

// WithModelsDir names the folder of the converted model files.
func WithModelsDir(folder string) Option { return WithString("models_dir", folder) }

// WithDetector picks "ssd" (accurate, the default) or "tiny" (fast).
func WithDetector(name string) Option { return WithString("detector", name) }

// WithMinScore sets the detection threshold, 0..1.
func WithMinScore(score float64) Option { return WithFloat("min_score", score) }

// WithMaxFaces bounds the faces reported per image.
func WithMaxFaces(count int) Option { return WithInt("max_faces", int64(count)) }

// WithThreads sets the worker threads of each session.
func WithThreads(count int) Option { return WithInt("threads", int64(count)) }

// WithMaxPixels bounds the images AnalyzeFile decodes.
func WithMaxPixels(pixels int64) Option { return WithInt("max_pixels", pixels) }

// WithNetworks names the networks to load, comma-separated.
func WithNetworks(names string) Option { return WithString("networks", names) }

// Engine holds the loaded networks. It is safe for concurrent use; each
// goroutine that analyses images needs its own Session.
type Engine struct {
	mutex  sync.Mutex
	native *C.dager_engine
	// The native sessions still open, so Close can free them first. The
	// map holds the handles, not the Sessions: a Session pointing to its
	// Engine and back would make a cycle, and Go never runs finalizers on
	// a cycle.
	sessions map[*sessionHandle]struct{}
}

// sessionHandle is shared by a Session and its Engine; either may free it,
// under the engine's mutex.
type sessionHandle struct {
	native *C.dager_session
}

// NewEngine loads the models with the given options.
func NewEngine(options ...Option) (*Engine, error) {
	var message messageBuffer
	var native *C.dager_options
	if err := check(C.go_options_create(&native, message.pointer()),
		&message); err != nil {
		return nil, err
	}
	defer C.dager_options_destroy(native)
	for _, option := range options {
		if err := option.apply(native, &message); err != nil {
			return nil, err
		}
	}
	engine := &Engine{sessions: map[*sessionHandle]struct{}{}}
	if err := check(C.go_engine_create(native, &engine.native,
		message.pointer()), &message); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(engine, finalizeEngine)
	return engine, nil
}

// ISA names the instruction set the kernels use, e.g. "avx2".
func (engine *Engine) ISA() string {
	engine.mutex.Lock()
	defer engine.mutex.Unlock()
	if engine.native == nil {
		return ""
	}
	return C.GoString(C.dager_engine_isa(engine.native))
}

// Close frees the engine's sessions that are still open, then the engine.
// Closing twice is harmless.
func (engine *Engine) Close() error {
	engine.mutex.Lock()
	defer engine.mutex.Unlock()
	for handle := range engine.sessions {
		C.dager_session_destroy(handle.native)
		handle.native = nil
	}
	engine.sessions = map[*sessionHandle]struct{}{}
	if engine.native != nil {
		C.dager_engine_destroy(engine.native)
		engine.native = nil
		runtime.SetFinalizer(engine, nil)
	}
	return nil
}

var errClosed = &Error{Status: InvalidArgument, Message: "used after Close"}

// finalized is told the kind of each object a finalizer freed; the tests
// replace it to see that forgotten objects are freed.
var finalized = func(kind string) {}

func finalizeEngine(engine *Engine) {
	finalized("engine")
	engine.Close()
}

func finalizeSession(session *Session) {
	finalized("session")
	session.Close()
}

func finalizeImage(image *Image) {
	finalized("image")
	image.Close()
}

// Session holds the scratch memory for analysing images. Use one session
// from one goroutine at a time.
type Session struct {
	engine *Engine
	handle *sessionHandle
}

// NewSession makes a session of the engine.
func (engine *Engine) NewSession() (*Session, error) {
	engine.mutex.Lock()
	defer engine.mutex.Unlock()
	if engine.native == nil {
		return nil, errClosed
	}
	var message messageBuffer
	handle := &sessionHandle{}
	if err := check(C.go_session_create(engine.native, &handle.native,
		message.pointer()), &message); err != nil {
		return nil, err
	}
	engine.sessions[handle] = struct{}{}
	session := &Session{engine: engine, handle: handle}
	runtime.SetFinalizer(session, finalizeSession)
	return session, nil
}

// Close frees the session. Closing twice, or after its engine was closed,
// is harmless.
func (session *Session) Close() error {
	engine := session.engine
	engine.mutex.Lock()
	defer engine.mutex.Unlock()
	if session.handle.native != nil {
		C.dager_session_destroy(session.handle.native)
		session.handle.native = nil
	}
	delete(engine.sessions, session.handle)
	runtime.SetFinalizer(session, nil)
	return nil
}

// Image holds decoded RGB8 pixels, upright (EXIF orientation applied).
type Image struct {
	native *C.dager_image
}

func newImage(native *C.dager_image) *Image {
	image := &Image{native: native}
	runtime.SetFinalizer(image, finalizeImage)
	return image
}

// LoadFile decodes a JPEG or PNG file. maxPixels 0 means the library's
// default limit.
func LoadFile(path string, maxPixels uint64) (*Image, error) {
	cPath := cString(path)
	defer freeString(cPath)
	var message messageBuffer
	var native *C.dager_image
	if err := check(C.go_image_load_file(cPath, C.uint64_t(maxPixels),
		&native, message.pointer()), &message); err != nil {
		return nil, err
	}
	return newImage(native), nil
}

// LoadMemory decodes a JPEG or PNG held in data.
func LoadMemory(data []byte, maxPixels uint64) (*Image, error) {
	var message messageBuffer
	var native *C.dager_image
	// Empty data still gets a valid pointer, so the library reports it as
	// an unsupported format (no bytes) rather than a NULL argument.
	var empty [1]byte
	pointer := unsafe.Pointer(&empty[0])
	if len(data) > 0 {
		pointer = unsafe.Pointer(&data[0])
	}
	if err := check(C.go_image_load_memory(pointer, C.size_t(len(data)),
		C.uint64_t(maxPixels), &native, message.pointer()),
		&message); err != nil {
		return nil, err
	}
	return newImage(native), nil
}

// PixelFormat is the layout of pixels given to FromPixels.
type PixelFormat int

// The pixel formats of dager.h.
const (
	RGB8  PixelFormat = 1
	BGR8  PixelFormat = 2
	RGBA8 PixelFormat = 3
	BGRA8 PixelFormat = 4
	Gray8 PixelFormat = 5
)

func (format PixelFormat) bytesPerPixel() int {
	switch format {
	case RGB8, BGR8:
		return 3
	case RGBA8, BGRA8:
		return 4
	case Gray8:
		return 1
	}
	return 0
}

// FromPixels copies caller pixels, rows stride bytes apart, into a new
// image.
func FromPixels(pixels []byte, width, height, stride int,
	format PixelFormat) (*Image, error) {
	// The library reads height rows of stride bytes; a short slice is
	// refused here so it never reads past the end.
	needed := 0
	if width > 0 && height > 0 {
		needed = stride*(height-1) + width*format.bytesPerPixel()
	}
	if format.bytesPerPixel() == 0 || len(pixels) < needed {
		return nil, &Error{Status: InvalidArgument, Message: fmt.Sprintf(
			"%d bytes of format %d do not hold %d x %d pixels",
			len(pixels), int(format), width, height)}
	}
	var message messageBuffer
	var native *C.dager_image
	var pointer unsafe.Pointer
	if len(pixels) > 0 {
		pointer = unsafe.Pointer(&pixels[0])
	}
	if err := check(C.go_image_from_pixels(pointer, C.int(width),
		C.int(height), C.size_t(stride), C.int(format), &native,
		message.pointer()), &message); err != nil {
		return nil, err
	}
	return newImage(native), nil
}

// Width of the displayed image in pixels.
func (image *Image) Width() int { return int(C.dager_image_width(image.native)) }

// Height of the displayed image in pixels.
func (image *Image) Height() int { return int(C.dager_image_height(image.native)) }

// Orientation is the EXIF orientation applied when decoding (1 for none).
func (image *Image) Orientation() int {
	return int(C.dager_image_orientation(image.native))
}

// Pixels returns a copy of the RGB8 pixels, rows of Width*3 bytes.
func (image *Image) Pixels() []byte {
	if image.native == nil {
		return nil
	}
	size := image.Width() * image.Height() * 3
	return C.GoBytes(unsafe.Pointer(C.dager_image_pixels(image.native)),
		C.int(size))
}

// Close frees the image. Closing twice is harmless.
func (image *Image) Close() error {
	if image.native != nil {
		C.dager_image_destroy(image.native)
		image.native = nil
		runtime.SetFinalizer(image, nil)
	}
	return nil
}

type analysis func(message *messageBuffer) (*C.dager_result, error)

func (session *Session) run(image *Image, call analysis,
	read func(*C.dager_result, *messageBuffer) error) (*Result, error) {
	if session.handle.native == nil || (image != nil && image.native == nil) {
		return nil, errClosed
	}
	var message messageBuffer
	native, err := call(&message)
	if err != nil {
		return nil, err
	}
	defer C.dager_result_destroy(native)
	result, err := readResult(native, &message)
	if err == nil && read != nil {
		err = read(native, &message)
	}
	// The image and session must stay alive (not finalized) until the
	// native calls that use them are done.
	runtime.KeepAlive(image)
	runtime.KeepAlive(session)
	if err != nil {
		return nil, err
	}
	return result, nil
}

// Detect finds faces and their landmarks.
func (session *Session) Detect(image *Image) (*Result, error) {
	return session.run(image, func(message *messageBuffer) (
		*C.dager_result, error) {
		var native *C.dager_result
		return native, check(C.go_detect(session.handle.native, image.native, &native,
			message.pointer()), message)
	}, nil)
}

// Analyze finds faces, landmarks, age, gender, emotion and descriptor.
func (session *Session) Analyze(image *Image) (*Result, error) {
	return session.run(image, func(message *messageBuffer) (
		*C.dager_result, error) {
		var native *C.dager_result
		return native, check(C.go_analyze(session.handle.native, image.native,
			&native, message.pointer()), message)
	}, nil)
}

// AnalyzeFile decodes and analyses a file, bounded by the engine's
// max_pixels option.
func (session *Session) AnalyzeFile(path string) (*Result, error) {
	cPath := cString(path)
	defer freeString(cPath)
	return session.run(nil, func(message *messageBuffer) (
		*C.dager_result, error) {
		var native *C.dager_result
		return native, check(C.go_analyze_file(session.handle.native, cPath,
			&native, message.pointer()), message)
	}, nil)
}

// AlignedFace is an aligned crop: Size x Size RGB8 pixels, rows of Size*3
// bytes, eyes level and at fixed places.
type AlignedFace struct {
	Face   Face
	Size   int
	Pixels []byte
}

// AlignedFaces finds the faces of image and returns an aligned crop of
// each, size pixels square (16..1024).
func (session *Session) AlignedFaces(image *Image, size int) (
	[]AlignedFace, error) {
	var crops []AlignedFace
	_, err := session.run(image, func(message *messageBuffer) (
		*C.dager_result, error) {
		var native *C.dager_result
		return native, check(C.go_detect(session.handle.native, image.native,
			&native, message.pointer()), message)
	}, func(native *C.dager_result, message *messageBuffer) error {
		result, err := readResult(native, message)
		if err != nil {
			return err
		}
		for index, face := range result.Faces {
			if size <= 0 {
				return &Error{Status: InvalidArgument,
					Message: "crop size must be positive"}
			}
			pixels := make([]byte, size*size*3)
			if err := check(C.go_align_face(session.handle.native, image.native,
				native, C.size_t(index), C.int(size),
				(*C.uint8_t)(unsafe.Pointer(&pixels[0])), C.size_t(size*3),
				message.pointer()), message); err != nil {
				return err
			}
			crops = append(crops, AlignedFace{Face: face, Size: size,
				Pixels: pixels})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return crops, nil
}

func readResult(native *C.dager_result, message *messageBuffer) (
	*Result, error) {
	count := int(C.dager_result_face_count(native))
	result := &Result{
		Width:     int(C.dager_result_image_width(native)),
		Height:    int(C.dager_result_image_height(native)),
		Truncated: C.dager_result_truncated(native) != 0,
		Faces:     make([]Face, 0, count),
	}
	for index := 0; index < count; index++ {
		var face C.dager_face
		if err := check(C.go_result_face(native, C.size_t(index), &face,
			message.pointer()), message); err != nil {
			return nil, err
		}
		converted := Face{
			Box: Box{float32(face.x), float32(face.y), float32(face.width),
				float32(face.height)},
			Score:       float32(face.score),
			CutByBorder: face.cut_by_border != 0,
		}
		if face.has_landmarks != 0 {
			converted.Landmarks = make([][2]float32, len(face.landmarks))
			for point := range face.landmarks {
				converted.Landmarks[point] = [2]float32{
					float32(face.landmarks[point][0]),
					float32(face.landmarks[point][1])}
			}
		}
		if face.has_attributes != 0 {
			converted.HasAttributes = true
			converted.Age = float32(face.age)
			converted.Gender = C.GoString(C.dager_gender_name(face.gender))
			converted.GenderProbability = float32(face.gender_probability)
			converted.Emotion = C.GoString(
				C.dager_emotion_name(face.dominant_emotion))
			for emotion := range converted.EmotionScores {
				converted.EmotionScores[emotion] = float32(face.emotions[emotion])
			}
		}
		if face.has_descriptor != 0 {
			var values [C.DAGER_DESCRIPTOR_SIZE]C.float
			if err := check(C.go_result_descriptor(native, C.size_t(index),
				&values[0], message.pointer()), message); err != nil {
				return nil, err
			}
			converted.Descriptor = make([]float32, len(values))
			for value := range values {
				converted.Descriptor[value] = float32(values[value])
			}
		}
		result.Faces = append(result.Faces, converted)
	}
	return result, nil
}

// DescriptorDistance is the Euclidean distance of two 128-value
// descriptors; below about 0.6 the faces are likely the same person. It
// returns a negative value when a descriptor has the wrong length.
func DescriptorDistance(a, b []float32) float32 {
	if len(a) != C.DAGER_DESCRIPTOR_SIZE || len(b) != C.DAGER_DESCRIPTOR_SIZE {
		return -1
	}
	return float32(C.dager_descriptor_distance((*C.float)(&a[0]),
		(*C.float)(&b[0])))
}

// DescriptorSimilarity is the cosine similarity of two descriptors, -1..1,
// or -2 when a descriptor has the wrong length.
func DescriptorSimilarity(a, b []float32) float32 {
	if len(a) != C.DAGER_DESCRIPTOR_SIZE || len(b) != C.DAGER_DESCRIPTOR_SIZE {
		return -2
	}
	return float32(C.dager_descriptor_similarity((*C.float)(&a[0]),
		(*C.float)(&b[0])))
}
