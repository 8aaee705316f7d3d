package api

import "net/http"

// A plugin's ResponseWriter is remote: its first Header call is a round trip
// to the server (0.1–0.2 ms on this project's machine), and an answer always
// needs the header for its Content-Type. earlyHeader asks for it as the
// request starts, in the background, so that the round trip overlaps the
// request's work instead of following it. Every use of the writer waits
// for that call: the remote writer is not safe for concurrent use.
type earlyHeader struct {
	http.ResponseWriter
	ready chan struct{}
}

func withEarlyHeader(w http.ResponseWriter) *earlyHeader {
	e := &earlyHeader{ResponseWriter: w, ready: make(chan struct{})}
	go func() {
		defer close(e.ready)
		w.Header()
	}()
	return e
}

func (e *earlyHeader) wait() { <-e.ready }

func (e *earlyHeader) Header() http.Header {
	<-e.ready
	return e.ResponseWriter.Header()
}

func (e *earlyHeader) Write(b []byte) (int, error) {
	<-e.ready
	return e.ResponseWriter.Write(b)
}

func (e *earlyHeader) WriteHeader(status int) {
	<-e.ready
	e.ResponseWriter.WriteHeader(status)
}
