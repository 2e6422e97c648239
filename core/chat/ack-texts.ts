/**
 * What a person is told about a request the ingress recorded but has not answered yet, or could not take; every
 * chat adapter says it the same way (the web API has its own HTTP forms: 202, 503 with Retry-After).
 */
export const QUEUED_TEXT = 'Queued, answering in a moment.';
export const BUSY_TEXT = 'Too many requests at once: nothing was done. Send it again in a minute.';
export const NOT_RECORDED_TEXT = 'Not done: the CRM cannot save right now. Nothing was saved; try again in a minute.';
/** A request whose handling failed on our side (it is logged); said where the request was asked. */
export const FAILED_TEXT = 'Something went wrong on our side. Try again in a moment.';
