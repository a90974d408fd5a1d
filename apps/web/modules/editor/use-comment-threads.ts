"use client";

import type { CommentThreadDto } from "@devflow/contracts";
import type { CollabSession, CommentsClient, CommentsState } from "@devflow/web-data-access";
import type { EditorView } from "@codemirror/view";
import { useEffect, useState } from "react";
import type { ThreadPlace } from "../comments/CommentsPanel";
import {
  commentAnchorsOf,
  placeCommentAnchors,
  removeCommentAnchors,
  setCommentAnchorStatus,
  type CommentAnchorPlace,
} from "./comment-anchors";

export interface LiveDocument {
  view: EditorView;
  session: CollabSession;
  client: CommentsClient;
}

const LOADING: CommentsState = { status: "loading", threads: [], error: null };

/**
 * Keeps the editor's comment highlights in step with the threads: each thread's anchor (at the
 * server version it was reported at) is placed on the editor's text once, through the ops since
 * (as other people's selections are), and from then on CodeMirror moves it with every change. A
 * thread reported at a version the editor has not reached yet is placed when the editor gets there.
 */
export function useCommentThreads(live: LiveDocument | null): {
  state: CommentsState;
  places: ReadonlyMap<string, ThreadPlace>;
} {
  const [state, setState] = useState<CommentsState>(LOADING);
  const [places, setPlaces] = useState<ReadonlyMap<string, ThreadPlace>>(new Map());

  useEffect(() => {
    if (!live) return;
    const { view, session, client } = live;
    /** What each thread was last placed from, so a thread is placed again only when the server moved it. */
    const placedFrom = new Map<string, string>();
    let lastSignature = "";

    const refreshPlaces = () => {
      const anchors = commentAnchorsOf(view.state);
      const next = new Map<string, ThreadPlace>();
      for (const [id, place] of anchors) next.set(id, { from: place.from, isOutdated: place.isOutdated });
      const signature = [...next].map(([id, p]) => `${id}:${p.from}:${p.isOutdated}`).join("|");
      if (signature === lastSignature) return;
      lastSignature = signature;
      setPlaces(next);
    };

    const place = () => {
      const threads = client.state.threads;
      const toPlace = new Map<string, CommentAnchorPlace>();
      const statuses = new Map<string, { isResolved: boolean }>();
      const current = new Set<string>();
      for (const thread of threads) {
        current.add(thread.id);
        statuses.set(thread.id, { isResolved: thread.status === "resolved" });
        const key = anchorKey(thread);
        if (placedFrom.get(thread.id) === key) continue;
        const placed = placeThread(session, thread, placedFrom.has(thread.id));
        if (placed === "wait") continue;
        placedFrom.set(thread.id, key);
        if (placed) toPlace.set(thread.id, placed);
      }
      const removed = [...placedFrom.keys()].filter((id) => !current.has(id));
      for (const id of removed) placedFrom.delete(id);
      view.dispatch({
        effects: [
          placeCommentAnchors.of(toPlace),
          setCommentAnchorStatus.of(statuses),
          removeCommentAnchors.of(removed),
        ],
      });
      refreshPlaces();
    };

    const offs = [
      client.on("state", (next) => {
        setState(next);
        place();
      }),
      // After the editor applied the op (its own listener came first): waiting threads may fit now.
      session.on("remoteOp", place),
      session.on("ack", place),
      // A fresh snapshot starts a new op history: place every thread again from the next list.
      session.on("reset", () => placedFrom.clear()),
    ];
    setState(client.state);
    place();
    return () => {
      for (const off of offs) off();
    };
  }, [live]);

  return { state, places };
}

function anchorKey(thread: CommentThreadDto): string {
  const { version, from, to } = thread.anchor;
  return `${version}:${from}:${to}:${thread.isOutdated}`;
}

/**
 * The thread's anchor on the editor's text; "wait" while the editor is behind the anchor's
 * version; null to keep where it already is (the anchor is older than the ops the editor keeps).
 */
function placeThread(
  session: CollabSession,
  thread: CommentThreadDto,
  isPlaced: boolean,
): CommentAnchorPlace | "wait" | null {
  const { from, to, version } = thread.anchor;
  const base = { isResolved: thread.status === "resolved", isOutdated: thread.isOutdated };
  const localized = session.localizeSelection({ anchor: from, head: to }, version);
  if (localized) {
    return {
      ...base,
      from: Math.min(localized.anchor, localized.head),
      to: Math.max(localized.anchor, localized.head),
    };
  }
  const editorVersion = session.state.version;
  if (editorVersion === null || version > editorVersion) return "wait";
  return isPlaced ? null : { ...base, from, to };
}
