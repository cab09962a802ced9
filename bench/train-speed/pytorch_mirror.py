"""PyTorch-in-Python mirror of the addon's battery models, for bench/train-speed.

Reads the arrays that run.ts prepared (already z-scored float32, little-endian)
and trains the same architectures the same way Wen et al.'s code does
(TensorDataset + DataLoader(shuffle=True), Adam, validation pass each epoch).
Prints one JSON object: median wall and thread-CPU milliseconds per epoch for
each model. Run with OPENBLAS_NUM_THREADS=1 so all work stays on this thread.

Usage: python3 pytorch_mirror.py DATA_DIR WARMUP THREADS
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def load(data_dir, name):
    meta = json.load(open(f"{data_dir}/{name}.json"))
    arr = np.fromfile(f"{data_dir}/{name}.f32", dtype="<f4").reshape(meta["shape"])
    return torch.from_numpy(arr.copy())


class Mlp(nn.Module):
    """Linear -> Tanh -> Dropout(p) blocks, Xavier-normal weights, Linear head."""

    def __init__(self, inputs, outputs, layers, width, dropout):
        super().__init__()
        blocks = []
        fan_in = inputs
        for _ in range(layers):
            linear = nn.Linear(fan_in, width)
            nn.init.xavier_normal_(linear.weight)
            blocks += [linear, nn.Tanh(), nn.Dropout(dropout)]
            fan_in = width
        head = nn.Linear(fan_in, outputs)
        nn.init.xavier_normal_(head.weight)
        blocks.append(head)
        self.net = nn.Sequential(*blocks)

    def forward(self, x):
        return self.net(x)


class BiLstm(nn.Module):
    def __init__(self, inputs, outputs, layers, hidden):
        super().__init__()
        self.lstm = nn.LSTM(inputs, hidden, num_layers=layers, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, outputs)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1, :])


class DeepHpm(nn.Module):
    """u(s, t) and G over [s, t, u]; F = u_t - G, F_t by autograd (create_graph)."""

    def __init__(self, inputs, outputs, layers, width, dropout, adaptive):
        super().__init__()
        self.u = Mlp(inputs, outputs, layers, width, dropout)
        self.g = Mlp(inputs - 1 + 1 + outputs, outputs, layers, width, dropout)
        self.adaptive = adaptive
        if adaptive:
            self.log_sigma = nn.Parameter(torch.zeros(3))

    def forward(self, x):
        return self.u(x)

    def loss(self, x, y):
        s = x[:, :-1].detach()
        t = x[:, -1:].detach().requires_grad_(True)
        u = self.u(torch.cat((s, t), dim=1))
        u_t = torch.autograd.grad(u.sum(), t, create_graph=True, retain_graph=True)[0]
        f = u_t - self.g(torch.cat((s, t, u), dim=1))
        f_t = torch.autograd.grad(f.sum(), t, create_graph=True, retain_graph=True)[0]
        terms = torch.stack((nn.functional.mse_loss(u, y), f.pow(2).mean(), f_t.pow(2).mean()))
        if self.adaptive:
            return (torch.exp(-self.log_sigma) * terms + self.log_sigma).sum()
        return terms.sum()


def time_model(name, model, loss_fn, data, batch, epochs, warmup, lr=1e-3):
    x_train, y_train, x_val, y_val = data
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x_train, y_train), batch_size=batch, shuffle=True
    )
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    times, cpu_times = [], []
    for epoch in range(warmup + epochs):
        started = time.perf_counter()
        cpu_started = time.thread_time()
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(xb, yb)
            if not torch.isfinite(loss):
                raise RuntimeError(f"{name}: non-finite loss")
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            val = nn.functional.mse_loss(model(x_val), y_val).item()
        if epoch >= warmup:
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.thread_time() - cpu_started) * 1000)
    return statistics.median(times), statistics.median(cpu_times), val


def main():
    data_dir, warmup, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    cfg = json.load(open(f"{data_dir}/config.json"))
    results = {}
    for m in cfg["models"]:
        seq = m["kind"] == "bilstm"
        prefix = "seq_" if seq else ""
        data = [load(data_dir, prefix + n) for n in ("x_train", "y_train", "x_val", "y_val")]
        d, k = data[0].shape[-1], data[1].shape[1]
        if m["kind"] == "baseline":
            model = Mlp(d, k, m["hiddenLayers"], m["hiddenWidth"], 0.2)
            loss_fn = lambda xb, yb, model=model: nn.functional.mse_loss(model(xb), yb)
        elif m["kind"] == "bilstm":
            model = BiLstm(d, k, m["lstmLayers"], m["lstmHidden"])
            loss_fn = lambda xb, yb, model=model: nn.functional.mse_loss(model(xb), yb)
        else:
            model = DeepHpm(d, k, m["hiddenLayers"], m["hiddenWidth"], 0.2, m["physicsLoss"] == "adaptive")
            loss_fn = model.loss
        ms, cpu_ms, val = time_model(m["label"], model, loss_fn, data, m["batchSize"], m["epochs"], warmup)
        results[m["label"]] = {"msPerEpoch": ms, "cpuMsPerEpoch": cpu_ms, "finalValLoss": val}
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
