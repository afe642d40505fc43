// The map's option is built in src/domain: the board's PDF draws the same map at the server.
export * from '../../../../src/domain/map-option.ts';
