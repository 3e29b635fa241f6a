import { lightStem } from './light-stem.js'

/**
 * Words that turn a question into its opposite when swapped for each other ("install" vs
 * "uninstall", "read" vs "write"). Word vectors place such words close together, so without
 * this list "how do I read a file" looks like a paraphrase of "how do I write a file".
 */
const CONTRASTS = `read write, buy sell, install uninstall, add remove, add delete, increase decrease, increase reduce,
create delete, create destroy, open close, start stop, start finish, begin end, enable disable, import export, upload download,
encode decode, encrypt decrypt, compress decompress, zip unzip, push pull, send receive, win lose, gain lose, gain loss,
advantage disadvantage, pro con, benefit risk, benefit drawback, cause effect, cause symptom, before after, first last,
maximum minimum, max min, rise fall, lock unlock, mount unmount, subscribe unsubscribe, follow unfollow, block unblock,
show hide, expand collapse, in out, on off, up down, left right, north south, east west, inside outside, hot cold,
heat cool, fast slow, cheap expensive, good bad, best worst, easy hard, strong weak, high low, positive negative,
male female, man woman, men women, boy girl, husband wife, mother father, son daughter, brother sister, king queen,
day night, summer winter, birth death, born die, past future, old new, young old, rich poor, love hate, like dislike,
agree disagree, accept reject, allow deny, legal illegal, possible impossible, true false, borrow lend, teach learn,
debit credit, deposit withdraw, income expense, profit loss, input output, client server, frontend backend,
serialize deserialize, split join, merge split, ascending descending, uppercase lowercase, upper lower,
horizontal vertical, width height, row column, key value, get set, public private, static dynamic, sync async,
synchronous asynchronous, local remote, local global, absolute relative, inner outer, head tail, prefix suffix,
floor ceil, lose keep, pass fail, arrive depart, attack defend, save spend`
  .split(',')
  .map((pair) => pair.trim().split(/\s+/))
  .filter((pair) => pair.length === 2)

const partners = new Map<string, Set<string>>()
for (const [x, y] of CONTRASTS) {
  for (const [from, to] of [[x, y], [y, x]]) {
    const key = lightStem(from)
    partners.set(key, (partners.get(key) ?? new Set()).add(lightStem(to)))
  }
}

/** Whether a word only one side has is the opposite of a word only the other side has (light stems). */
export function hasContrast(onlyA: ReadonlySet<string>, onlyB: ReadonlySet<string>): boolean {
  for (const stem of onlyA) {
    const opposite = partners.get(stem)
    if (opposite) for (const other of opposite) if (onlyB.has(other)) return true
  }
  return false
}
