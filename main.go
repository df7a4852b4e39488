// Command sprout runs Sprout: startup incubation and innovation events.
package main

import (
	"embed"
	"io/fs"
	"os"

	"sprout/app"
)

//go:embed views
var views embed.FS

//go:embed static
var static embed.FS

func main() {
	v, err := fs.Sub(views, "views")
	if err != nil {
		panic(err)
	}
	s, err := fs.Sub(static, "static")
	if err != nil {
		panic(err)
	}
	os.Exit(app.Main(os.Args[1:], app.Assets{Views: v, Static: s}, os.Stdout, os.Stderr))
}
