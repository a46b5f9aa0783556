// Package git is gitdora's one layer over git repositories: everything
// the product reads from or writes to a repository goes through it, and
// its API names no type of go-git's.
//
//   - Opening a repository of any shape (Open, OpenDir): a clone or a
//     subdirectory of its work tree, a linked worktree, a submodule, a
//     bare repository or a mirror.
//   - Reading objects, on one read path: a ReadFunc per goroutine, Read,
//     Stream for large blobs, CommitObject, TreeObject, ReadBlob,
//     ParseTag, ResolveCommit for what users name a commit by.
//   - Walking history: the commit-graph when there is one (CommitGraph),
//     merge bases and ancestry (MergeBases, IsAncestor).
//   - References: Ref, ReadRef, SymbolicRef, Tags, Shallow, and
//     CompareAndSwapRef, which moves a ref with git's lock-file protocol.
//   - Writing objects: a Batch stores the objects of one write as loose
//     objects or as one pack; WriteCommit.
//   - Fetching and pushing one branch (Remote, FetchBranch, PushBranch),
//     sending a token over HTTPS only and never across a redirect to
//     another host.
//   - Bringing along the work trees that have a branch checked out when
//     it moves (Checkouts, PlanCheckout).
//
// Objects are read by the package's own object database (the odb: loose
// objects, and packs whose .idx it binary-searches, mapped into memory,
// with a bounded cache of delta bases), where go-git first loads every pack
// index whole: bench_test.go compares the two (opening a large repository,
// reading its commits, streaming a large blob), and the odb is faster and
// leaner at each. go-git decodes trees, commits and tags, reads
// references and configuration, and speaks the smart protocol.
package git
