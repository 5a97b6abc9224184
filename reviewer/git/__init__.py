"""Everything that drives git lives in this package, and nothing outside it runs git.

``env``   the isolated, hardened environment and ``-c`` options for every git call
``process`` one git process: time limit, output cap, watcher, process-group kill
``store`` read-only access to objects at a pinned commit (tree listing, blobs, history)
``fetch`` hardened fetch of an untrusted remote into the mirror cache
"""
