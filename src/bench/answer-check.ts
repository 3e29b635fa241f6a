/** The text of a source result that a gold answer may appear in: documents' titles and texts, else the JSON. */
export function resultText(result: unknown): string {
  const documents = (result as { documents?: unknown } | null)?.documents
  if (Array.isArray(documents)) {
    return documents.map((d: { title?: unknown; text?: unknown }) => `${typeof d.title === 'string' ? d.title : ''}\n${typeof d.text === 'string' ? d.text : ''}`).join('\n')
  }
  return typeof result === 'string' ? result : (JSON.stringify(result) ?? '')
}

/** Whether a served or fetched result contains any of the gold answers (case-insensitive). */
export function containsAnswer(result: unknown, answers: readonly string[]): boolean {
  const text = resultText(result).toLowerCase()
  return answers.some((answer) => {
    const needle = answer.trim().toLowerCase()
    return needle !== '' && text.includes(needle)
  })
}
