export type CheckStatus = 'ok' | 'embedded' | 'warn' | 'error'

export interface DoctorCheck {
  part: string
  status: CheckStatus
  detail: string
  /** The exact command that fixes or upgrades this part, when there is one. */
  fix?: string
}

export interface DoctorReport {
  checks: DoctorCheck[]
  ok: boolean
  configFiles: string[]
}
