export * from './rfm.js';
export * from './lifecycle.js';
export * from './clv.js';
export * from './churn.js';
export * from './satisfaction.js';
export * from './retention.js';
export * from './pipeline.js';
