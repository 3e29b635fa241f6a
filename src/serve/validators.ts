import { Ajv, type AnySchema } from 'ajv'
import type { FastifySchemaCompiler } from 'fastify'

// fastify's default validator coerces every part of a request: {"query": 42} would pass as "42"
// and pay for a remote call. A JSON body carries its own types, so it is checked as sent; query
// strings and path parameters are text by nature and keep fastify's coercion. Unknown fields are
// errors in both (removeAdditional: false), and allErrors stays off (fastify's DoS advice).
const bodies = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false })
const urlParts = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false })

/** Compiles each route schema with the validator for its part of the request. */
export const validatorCompiler: FastifySchemaCompiler<AnySchema> = ({ schema, httpPart }) => (httpPart === 'body' ? bodies : urlParts).compile(schema)
