package natsfeed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultStream is the JetStream stream that holds every segment's frames.
const DefaultStream = "NBTSNIFF_FRAMES"

// DefaultDuplicates is the stream's deduplication window: a message whose
// Nats-Msg-Id was stored less than this long ago is acknowledged and not
// stored again.
const DefaultDuplicates = 2 * time.Minute

// DefaultMaxAge is how long the stream keeps messages unless told.
const DefaultMaxAge = 7 * 24 * time.Hour

// StreamOptions name the stream and give its limits. The limits are
// applied when the stream is created, and by a publisher whose limits are
// not all zero (it updates an existing stream); zero limits leave an
// existing stream as it is, so sensors started without them do not undo
// an operator's settings.
type StreamOptions struct {
	// Name is the stream's name; "" means DefaultStream.
	Name string
	// MaxAge drops messages older than this; 0 means DefaultMaxAge,
	// negative means no age limit.
	MaxAge time.Duration
	// MaxBytes drops the oldest messages past this many bytes; 0 means no
	// size limit.
	MaxBytes int64
	// Duplicates is the deduplication window; 0 means DefaultDuplicates,
	// lowered to the age limit when that is shorter.
	Duplicates time.Duration
}

// limited reports whether any limit is set.
func (o StreamOptions) limited() bool {
	return o.MaxAge != 0 || o.MaxBytes != 0 || o.Duplicates != 0
}

func (o StreamOptions) name() string {
	if o.Name == "" {
		return DefaultStream
	}
	return o.Name
}

// config is the stream configuration: file storage, one subject space,
// old messages discarded first, limits from o.
func (o StreamOptions) config() jetstream.StreamConfig {
	cfg := jetstream.StreamConfig{
		Name:        o.name(),
		Description: "nbtsniff: captured NetBIOS frames, one subject per segment",
		Subjects:    []string{SubjectPrefix + ".>"},
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		Storage:     jetstream.FileStorage,
		MaxAge:      o.MaxAge,
		MaxBytes:    -1,
		MaxMsgs:     -1,
		Duplicates:  o.Duplicates,
	}
	switch {
	case o.MaxAge == 0:
		cfg.MaxAge = DefaultMaxAge
	case o.MaxAge < 0:
		cfg.MaxAge = 0
	}
	if o.MaxBytes > 0 {
		cfg.MaxBytes = o.MaxBytes
	}
	if cfg.Duplicates <= 0 {
		cfg.Duplicates = DefaultDuplicates
	}
	if cfg.MaxAge > 0 && cfg.Duplicates > cfg.MaxAge {
		cfg.Duplicates = cfg.MaxAge
	}
	return cfg
}

// ConnOptions are the NATS connection settings shared by publishers and
// subscribers.
type ConnOptions struct {
	// Name is the client name the server shows (nats-server's connz).
	Name string
	// ReconnectWait is the pause between reconnection attempts; 0 means
	// 250 ms. Attempts never stop until Close.
	ReconnectWait time.Duration
	// Timeout bounds the first connection and every JetStream API call;
	// 0 means 5 s.
	Timeout time.Duration
}

func (o ConnOptions) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 5 * time.Second
	}
	return o.Timeout
}

// dial connects with unlimited reconnection and no reconnect buffer: a
// publish while disconnected fails at once (the publisher keeps the
// message and sends it again), instead of going to a buffer that a second
// failure would lose. A first connection that finds no server listening
// (nats.ErrNoServers: refused) is tried again every ReconnectWait until
// Timeout has passed: a sensor or analyzer started beside the server (a
// service manager starting all three at once) waits for it to listen,
// where a moment's refusal had ended the run; any other error ends it at
// once.
func dial(url string, o ConnOptions, extra ...nats.Option) (*nats.Conn, error) {
	wait := o.ReconnectWait
	if wait <= 0 {
		wait = 250 * time.Millisecond
	}
	opts := []nats.Option{
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(wait),
		nats.ReconnectJitter(wait/10, wait/10),
		nats.ReconnectBufSize(-1),
		nats.Timeout(o.timeout()),
	}
	opts = append(opts, extra...)
	deadline := time.Now().Add(o.timeout())
	for {
		nc, err := nats.Connect(url, opts...)
		if err == nil {
			return nc, nil
		}
		if !errors.Is(err, nats.ErrNoServers) || time.Now().Add(wait).After(deadline) {
			return nil, fmt.Errorf("natsfeed: connect %s: %w", url, err)
		}
		time.Sleep(wait)
	}
}

// ensureStream creates the stream, or updates its limits when update is
// set; without update an existing stream is used as it is. A stream that
// another client creates at the same moment (sensors and an analyzer
// started together) is used as it is: between one client's lookup and its
// create, the server answers the create with "name already in use" or,
// when it checks the subjects first, "subjects overlap" (nats-server 2.9),
// and the stream is looked up again. A create refused for another reason
// (a stream of another name holding the subjects) stays an error.
func ensureStream(ctx context.Context, js jetstream.JetStream, o StreamOptions, update bool) (jetstream.Stream, error) {
	cfg := o.config()
	var s jetstream.Stream
	var err error
	if update {
		s, err = js.CreateOrUpdateStream(ctx, cfg)
	} else {
		s, err = js.Stream(ctx, cfg.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			s, err = js.CreateStream(ctx, cfg)
			if raced(err) {
				if made, lookErr := js.Stream(ctx, cfg.Name); lookErr == nil {
					s, err = made, nil
				}
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("natsfeed: stream %s: %w", cfg.Name, err)
	}
	return s, nil
}

// raced reports whether a create failed because another client made the
// stream first: its name is in use, or the server saw its subjects taken
// before it saw the name.
func raced(err error) bool {
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamNameInUse || apiErr.ErrorCode == errCodeSubjectsOverlap)
}

// errCodeSubjectsOverlap is JetStream's "subjects overlap with an existing
// stream" (nats-server's JSStreamSubjectOverlapErr), which nats.go has no
// name for.
const errCodeSubjectsOverlap jetstream.ErrorCode = 10065
