export * from './amount';
export * from './quantity';
export * from './dates';
export * from './ids';
