export * from './guards';
export * from './registrations';
export * from './commitments';
export * from './records';
