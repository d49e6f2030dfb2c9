package jobs

import (
	"time"

	"github.com/parkplan/parkplan/planner"
)

// Config bounds the job runner (docs/scenario-service.md, docs/scale-jobs.md).
type Config struct {
	// Workers is the number of jobs (solves, checks that solve) this
	// process works at once; 0 only queues jobs, for workers elsewhere
	// (`parkplan worker`). Each solve is CPU-bound: one per core at most.
	Workers int `yaml:"workers"`
	// Queue is the number of jobs that may wait for a worker, over every
	// process; a run or check asked for beyond it is refused with 429 and
	// Retry-After, never dropped.
	Queue int `yaml:"queue"`
	// RetryAfter is the Retry-After sent with 429 when the queue is full.
	RetryAfter time.Duration `yaml:"retry_after"`
	// ProgressEvery is how often a running solve's worker writes its
	// progress to the scenario row and checks that the run is still its
	// own (a cancel is seen within it).
	ProgressEvery time.Duration `yaml:"progress_every"`
	// SaveTimeout bounds the saving of a finished plan, retried while the
	// database is unreachable.
	SaveTimeout time.Duration `yaml:"save_timeout"`
	// PollInterval is how often an idle worker asks the database for jobs
	// (River polls: lib/pq gives it no LISTEN); it bounds pick-up latency.
	PollInterval time.Duration `yaml:"poll_interval"`
	// LostAfter is how long a running job's worker may hold no liveness
	// lock before the job is taken for lost (the worker was killed or cut
	// off from the database) and queued again, or failed after MaxAttempts.
	LostAfter time.Duration `yaml:"lost_after"`
	// MaxAttempts is how many workers may start a run before a lost one
	// fails it instead of queueing it again.
	MaxAttempts int `yaml:"max_attempts"`
}

// DefaultConfig returns the documented defaults: one worker, 8 waiting
// jobs, Retry-After 30 s, progress every second, 2 minutes to save a plan,
// a poll every second, a worker lost after 10 s, 3 attempts.
func DefaultConfig() Config {
	return Config{Workers: 1, Queue: 8, RetryAfter: 30 * time.Second, ProgressEvery: time.Second,
		SaveTimeout: 2 * time.Minute, PollInterval: time.Second, LostAfter: 10 * time.Second, MaxAttempts: 3}
}

// Check refuses settings that would misbehave; the error names the
// setting by its `serve`/`worker` flag (docs/api.md lists the file keys
// and variables beside them).
func (c Config) Check() error {
	switch {
	case c.Workers < 0:
		return planner.FieldErrorf("workers", "%d must be ≥ 0 (0: this process only queues jobs)", c.Workers)
	case c.Queue < 1:
		return planner.FieldErrorf("job-queue", "%d must be at least 1", c.Queue)
	case c.RetryAfter <= 0:
		return planner.FieldErrorf("job-retry-after", "%v must be > 0", c.RetryAfter)
	case c.ProgressEvery <= 0:
		return planner.FieldErrorf("job-progress-every", "%v must be > 0", c.ProgressEvery)
	case c.SaveTimeout <= 0:
		return planner.FieldErrorf("jobs.save_timeout", "%v must be > 0", c.SaveTimeout)
	case c.PollInterval < time.Millisecond:
		return planner.FieldErrorf("job-poll-interval", "%v must be at least 1ms", c.PollInterval)
	case c.LostAfter < time.Second:
		return planner.FieldErrorf("job-lost-after", "%v must be at least 1s", c.LostAfter)
	case c.MaxAttempts < 1:
		return planner.FieldErrorf("jobs.max_attempts", "%d must be at least 1", c.MaxAttempts)
	}
	return nil
}
