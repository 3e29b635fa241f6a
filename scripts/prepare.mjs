// npm runs `prepare` after `npm ci`/`npm install` in this folder (build dist/), and also when `npx asteria`
// run in this folder installs the folder into npx's cache as a link (npm 11). That second build is not
// needed (npm ci built dist/) and it rewrote dist/ while commands were running from it, so it is skipped
// when dist/ is there.
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

if (process.env.npm_command === 'exec' && existsSync(new URL('../dist/index.js', import.meta.url))) process.exit(0)
execSync('npm run build', { stdio: 'inherit' })
