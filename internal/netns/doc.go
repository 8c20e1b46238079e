// Package netns runs a function with the calling program's view of the
// network switched to another network namespace, without moving any other
// goroutine or operating-system thread there.
//
// Only Linux has network namespaces; on other systems the package is empty.
package netns
