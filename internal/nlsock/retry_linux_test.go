//go:build linux

package nlsock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/sys/unix"
)

func TestRetry(t *testing.T) {
	tests := []struct {
		name  string
		errs  []error // what each call returns, in turn
		done  bool
		err   error
		calls int
	}{
		{name: "success", errs: []error{nil}, done: true, calls: 1},
		{name: "not ready", errs: []error{unix.EAGAIN}, calls: 1},
		{name: "failure", errs: []error{unix.ENOBUFS}, done: true, err: unix.ENOBUFS, calls: 1},
		{name: "interrupted, then success", errs: []error{unix.EINTR, unix.EINTR, nil}, done: true, calls: 3},
		{name: "interrupted, then not ready", errs: []error{unix.EINTR, unix.EAGAIN}, calls: 2},
		{name: "interrupted, then failure", errs: []error{unix.EINTR, unix.EBADF}, done: true, err: unix.EBADF, calls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			done, err := retry(func() error {
				if calls == len(tt.errs) {
					t.Fatalf("call %d: retry went on after %v", calls+1, tt.errs[calls-1])
				}
				calls++
				return tt.errs[calls-1]
			})
			type result struct {
				Done  bool
				Err   error
				Calls int
			}
			want := result{tt.done, tt.err, tt.calls}
			got := result{done, err, calls}
			if diff := cmp.Diff(want, got, cmpopts.EquateErrors()); diff != "" {
				t.Fatalf("retry (-want +got):\n%s", diff)
			}
		})
	}
}
