#!/usr/bin/env node
// The subpath, not '@oclif/core': its index loads every part of oclif (~25 ms more before `--help`).
import { execute } from '@oclif/core/execute'

await execute({ dir: import.meta.url })
