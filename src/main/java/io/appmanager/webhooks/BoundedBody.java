package io.appmanager.webhooks;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;

/**
 * A response body codec that keeps the first {@code maxBytes} and discards the rest as it arrives, so an app
 * answering megabytes cannot make us buffer them. The web client still reads the body to its end (that is
 * when it hands us the response; the connection can then be reused), within the dispatcher's deadline.
 */
final class BoundedBody implements BodyCodec<byte[]> {

    private final int maxBytes;

    BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void create(Handler<AsyncResult<BodyStream<byte[]>>> handler) {
        handler.handle(Future.succeededFuture(new Stream(maxBytes)));
    }

    private static final class Stream implements BodyStream<byte[]> {
        private final int maxBytes;
        private final Buffer kept = Buffer.buffer();
        private final Promise<byte[]> result = Promise.promise();

        Stream(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public Future<byte[]> result() {
            return result.future();
        }

        @Override
        public void handle(Throwable failure) {
            result.tryFail(failure);
        }

        @Override
        public Future<Void> write(Buffer data) {
            keep(data);
            return Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            keep(data);
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            result.tryComplete(kept.getBytes());
            if (handler != null) {
                handler.handle(Future.succeededFuture());
            }
        }

        private void keep(Buffer data) {
            int room = maxBytes - kept.length();
            if (room > 0) {
                kept.appendBuffer(data, 0, Math.min(room, data.length()));
            }
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        /** Never full: discarding keeps up with any sender. */
        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
