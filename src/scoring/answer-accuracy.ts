/**
 * Answer accuracy, the one definition `asteria run` and `asteria bench` both report: a text is
 * correct when it contains one of the gold answers as whole words after SQuAD normalisation (lower
 * case, accents, punctuation and the articles a/an/the removed, single spaces). "1990" is not found
 * in "1990s", nor "1" in "10".
 */

/** SQuAD-style normal form: lower case, no punctuation, no articles, single spaces. */
export function normalizeAnswerText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\b(a|an|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Does the text contain one of the gold answers as whole words (after normalisation)? */
export function containsGoldAnswer(text: string, answers: readonly string[]): boolean {
  const haystack = ` ${normalizeAnswerText(text)} `
  return answers.some((answer) => {
    const needle = normalizeAnswerText(answer)
    return needle !== '' && haystack.includes(` ${needle} `)
  })
}

/** The text of a source result that a gold answer may appear in: documents' titles and texts, else the JSON. */
export function resultText(result: unknown): string {
  const documents = (result as { documents?: unknown } | null)?.documents
  if (Array.isArray(documents)) {
    return documents.map((d: { title?: unknown; text?: unknown }) => `${typeof d.title === 'string' ? d.title : ''}\n${typeof d.text === 'string' ? d.text : ''}`).join('\n')
  }
  return typeof result === 'string' ? result : (JSON.stringify(result) ?? '')
}

/** Whether a served or fetched source result contains one of the gold answers (containsGoldAnswer on its text). */
export function resultContainsGoldAnswer(result: unknown, answers: readonly string[]): boolean {
  return containsGoldAnswer(resultText(result), answers)
}
