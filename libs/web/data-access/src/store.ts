import { configureStore } from "@reduxjs/toolkit";
import { api } from "./api";

/**
 * A new store. Call it once per request on the server and once per page load in the browser
 * (StoreProvider does); a module-level store would share one user's cache with the next request.
 */
export function makeStore() {
  return configureStore({
    reducer: { [api.reducerPath]: api.reducer },
    middleware: (getDefaultMiddleware) => getDefaultMiddleware().concat(api.middleware),
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type RootState = ReturnType<AppStore["getState"]>;
export type AppDispatch = AppStore["dispatch"];
