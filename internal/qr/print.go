package qr

import (
	"bytes"
	"errors"
	"image/png"
	"runtime"
	"sync"

	"github.com/skip2/go-qrcode"
)

// ForPrint draws each text as a QR code PNG four pixels a module, which
// keeps the image small and sharp for a PDF that scales it to its printed
// size, on every core: drawing the codes is most of what a sheet of
// badges or certificates costs. An empty text gives no image.
func ForPrint(texts []string) ([][]byte, error) {
	out := make([][]byte, len(texts))
	errs := make([]error, len(texts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(texts), 1)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = printPNG(texts[i])
			}
		})
	}
	for i := range texts {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

func printPNG(text string) ([]byte, error) {
	if text == "" {
		return nil, nil
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers{}}
	if err := enc.Encode(&buf, q.Image(-4)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pngBuffers lets the PNG encoders reuse their compressors, whose making
// costs more than compressing a QR code.
type pngBuffers struct{}

var pngPool sync.Pool

func (pngBuffers) Get() *png.EncoderBuffer {
	b, _ := pngPool.Get().(*png.EncoderBuffer)
	return b
}

func (pngBuffers) Put(b *png.EncoderBuffer) { pngPool.Put(b) }
