#!/bin/sh
# @NAME@ from the osq package: runs on the package's own Node.js runtime, whatever Node the
# host has, if any.
exec @PREFIX@/bin/node @PREFIX@/@SCRIPT@ "$@"
