package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

// browser is one warm headless Chromium driven through the DevTools
// protocol, one tab, printing pages one after the other (what document
// services built on Chromium do).
type browser struct {
	cmd  *exec.Cmd
	ws   *websocket.Conn
	next int
}

func startBrowser(ctx context.Context, bin, profile string) (*browser, error) {
	c := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir="+profile, "about:blank")
	errPipe, err := c.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		return nil, fmt.Errorf("starting chromium: %w", err)
	}
	b := &browser{cmd: c}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			if _, after, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				found <- after
			}
		}
		close(found)
	}()
	var wsURL string
	select {
	case wsURL = <-found:
	case <-time.After(30 * time.Second):
	}
	if wsURL == "" {
		b.close()
		return nil, errors.New("chromium did not open its DevTools endpoint")
	}
	u, err := url.Parse(wsURL)
	if err != nil {
		b.close()
		return nil, err
	}
	resp, err := http.Get("http://" + u.Host + "/json/list")
	if err != nil {
		b.close()
		return nil, err
	}
	var targets []struct{ Type, WebSocketDebuggerURL string }
	err = json.NewDecoder(resp.Body).Decode(&targets)
	resp.Body.Close()
	page := ""
	for _, t := range targets {
		if t.Type == "page" {
			page = t.WebSocketDebuggerURL
		}
	}
	if err != nil || page == "" {
		b.close()
		return nil, fmt.Errorf("chromium has no page target (%v)", err)
	}
	if b.ws, err = websocket.Dial(page, "", "http://127.0.0.1/"); err != nil {
		b.close()
		return nil, fmt.Errorf("connecting to chromium: %w", err)
	}
	if _, err := b.call("Page.enable", nil, ""); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

type cdpMsg struct {
	ID     int             `json:"id,omitempty"`
	Method string          `json:"method,omitempty"`
	Params any             `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// call sends a command and waits for its answer and, when waitEvent is
// set, for that event too.
func (b *browser) call(method string, params any, waitEvent string) (json.RawMessage, error) {
	b.next++
	id := b.next
	if err := websocket.JSON.Send(b.ws, cdpMsg{ID: id, Method: method, Params: params}); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	b.ws.SetReadDeadline(time.Now().Add(60 * time.Second))
	var result json.RawMessage
	gotResult, gotEvent := false, waitEvent == ""
	for !gotResult || !gotEvent {
		var m cdpMsg
		if err := websocket.JSON.Receive(b.ws, &m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%s: chromium closed the connection", method)
			}
			return nil, fmt.Errorf("%s: %w", method, err)
		}
		switch {
		case m.ID == id && m.Error != nil:
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		case m.ID == id:
			result, gotResult = m.Result, true
		case m.Method == waitEvent && waitEvent != "":
			gotEvent = true
		}
	}
	return result, nil
}

// print loads the file and prints it to PDF.
func (b *browser) print(path string) ([]byte, error) {
	if _, err := b.call("Page.navigate", map[string]string{"url": "file://" + path}, "Page.loadEventFired"); err != nil {
		return nil, err
	}
	res, err := b.call("Page.printToPDF", map[string]any{"printBackground": true, "preferCSSPageSize": true}, "")
	if err != nil {
		return nil, err
	}
	var out struct{ Data string }
	if err := json.Unmarshal(res, &out); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(out.Data)
}

func (b *browser) close() {
	if b.ws != nil {
		b.ws.Close()
	}
	b.cmd.Process.Kill()
	b.cmd.Wait()
}
