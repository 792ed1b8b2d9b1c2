// The Electron preload exposes the contract under this name; browser mode leaves it unset.
interface Window {
  eqConsole?: import('../../shared/api').ConsoleApi & import('../../shared/events').ConsoleEvents;
}
